import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // pg and argon2 are Node-only; keep them out of the bundle.
  serverExternalPackages: ['pg', '@node-rs/argon2', 'rate-limiter-flexible'],
};

export default withNextIntl(nextConfig);

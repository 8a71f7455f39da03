import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Next would answer `/api/events/` (or `/api/events/.`) with an HTML-less 308
  // to `/api/events`; every /api answer must be the envelope, so the path is
  // routed as it is instead.
  skipTrailingSlashRedirect: true,
  // pg and argon2 are Node-only; keep them out of the bundle.
  serverExternalPackages: ['pg', '@node-rs/argon2', 'rate-limiter-flexible'],
};

export default withNextIntl(nextConfig);

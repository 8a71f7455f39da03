import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

// api.md, "Headers on every page": these on every answer, pages and /api alike.
// The pages' Content-Security-Policy carries a per-request nonce and is set
// in proxy.ts; /api answers (JSON only) get one that allows nothing.
// Strict-Transport-Security only in production builds (`next build`; headers
// are fixed at build time), never for `next dev` on http://localhost.
const everywhere = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  ...(process.env.NODE_ENV === 'production'
    ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000' }]
    : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Next would answer `/api/events/` (or `/api/events/.`) with an HTML-less 308
  // to `/api/events`; every /api answer must be the envelope, so the path is
  // routed as it is instead.
  skipTrailingSlashRedirect: true,
  // pg, argon2 and nodemailer are Node-only; keep them out of the bundle.
  serverExternalPackages: ['pg', '@node-rs/argon2', 'rate-limiter-flexible', 'nodemailer'],
  async headers() {
    return [
      { source: '/:path*', headers: everywhere },
      // Same text as API_CONTENT_SECURITY_POLICY in lib/http/security-headers.ts.
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default withNextIntl(nextConfig);

import type { NextConfig } from 'next';

// Static export: the Nest server serves `out/` at `/` on the API's own origin,
// so the client calls `/api/...` relatively and needs no server of its own.
const nextConfig: NextConfig = {
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;

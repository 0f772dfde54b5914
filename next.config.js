/** @type {import('next').NextConfig} */
const nextConfig = {
  // DuckDB's native Node binding must stay a runtime require, never bundled.
  serverExternalPackages: ["@duckdb/node-api"],
  poweredByHeader: false,
};

export default nextConfig;

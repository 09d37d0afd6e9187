// Generated from package.json by scripts/write-version.mjs (npm run build); do not edit.
export const QGATE_VERSION = "0.1.0";

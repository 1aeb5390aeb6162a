// Logging and diagnostics for the desktop: masked rotating log files and the diagnostics zip.
export { maskForLog, maskText, isSensitiveKey } from './mask';
export { createRotatingLog, LOG_FILE_NAME, type DesktopLogger, type LogLevelName, type RotatingLogOptions } from './rotating-log';
export { exportDiagnostics, redactSettings, type DiagnosticsInput } from './diagnostics';

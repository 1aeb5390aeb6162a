// Process entry for the center's command line (built to server/dist/cli-entry.js).
import { main } from './cli';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`Earshot center crashed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);

import { COMMANDS } from './commands';
import { runCli } from './program';

void runCli(process.argv.slice(2), COMMANDS).then((code) => {
  process.exitCode = code;
});

// The options a command was given, prefix options written in the body included (the runtime reads
// them with the same function: grammar/src/optionValues.ts).
import type { Command, Option } from '../../../grammar/src/ast';
import { commandOptions as shared } from '../../../grammar/src/optionValues';
import type { CommandInfo } from './commands';

export function commandOptions(cmd: Command, info: CommandInfo | undefined): Option[] {
  return shared(cmd, info?.spec);
}

import type { Command } from 'commander';

/** Every CLI command; each registers itself on the program. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [];

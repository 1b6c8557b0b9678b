import type { Command } from 'commander';
import { registerBench } from './bench.js';
import { registerDemo } from './demo.js';
import { registerDoctor } from './doctor.js';
import { registerEncoder } from './encoder.js';
import { registerEvaluate } from './evaluate.js';
import { registerImport } from './import.js';
import { registerIndexBuild } from './index-build.js';
import { registerRecommend } from './recommend.js';
import { registerSearchImage } from './search-image.js';
import { registerSimilar } from './similar.js';
import { registerKeys } from './keys.js';
import { registerServe } from './serve.js';
import { registerSimulateAb } from './simulate-ab.js';
import { registerShoppers } from './shoppers.js';
import { registerTrain } from './train.js';
import { registerWorld } from './world.js';

/** Every CLI command; each registers itself on the program. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [registerDemo, registerWorld, registerImport, registerTrain, registerEvaluate, registerRecommend, registerShoppers, registerBench, registerIndexBuild, registerSearchImage, registerSimilar, registerServe, registerKeys, registerSimulateAb, registerDoctor, registerEncoder];

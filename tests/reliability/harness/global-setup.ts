// Builds the app once for the whole suite (or reuses the build of an unchanged tree).
import type { TestProject } from 'vitest/node';
import { productionBuild } from './build';

declare module 'vitest' {
  export interface ProvidedContext {
    appDir: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('appDir', await productionBuild((line) => console.log(line)));
}

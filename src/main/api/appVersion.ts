/** NormLab's version, from package.json (bundled into the build, read from the source under tests). */
import { version } from '../../../package.json';

export const APP_VERSION: string = version;

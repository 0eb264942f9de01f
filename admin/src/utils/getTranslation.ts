import { PLUGIN_ID } from '../../../shared/contracts';

/** Every admin string lives in translations/<locale>.json under this plugin's prefix. */
export const getTranslation = (id: string) => `${PLUGIN_ID}.${id}`;

/**
 * English messages for zod. Schemas import `* as z from 'zod/mini'` themselves (tree-shakable:
 * the classic build, or re-exporting the namespace, pulls every locale into each function
 * bundle, about 430 kB minified) and import this module for its side effect.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

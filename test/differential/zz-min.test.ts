import { it } from 'vitest';
import { minimise } from './minimise.js';
it('min', async () => { console.log(await minimise(Number(process.env.SEED ?? 12))); }, 600000);

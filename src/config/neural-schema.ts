import { z } from 'zod';

/** Neural sequence models (GRU4Rec, HRNN). Filled in by the model issue. */
export const neuralSchemas = [] as const;

import { Schema } from 'mongoose';

/** Mongoose sub-schema for a { sw, en } text; Kiswahili is required, English optional. */
export const localizedTextSchema = new Schema(
  {
    sw: { type: String, required: true, trim: true },
    en: { type: String, trim: true, default: '' },
  },
  { _id: false },
);

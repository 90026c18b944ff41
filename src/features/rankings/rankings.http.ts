/** Request helpers shared by the rankings routers. */
import type { Request } from 'express';

/** A route parameter as a string ('' when absent). */
export const param = (req: Request, name: string): string => String((req.params as Record<string, string>)[name] ?? '');

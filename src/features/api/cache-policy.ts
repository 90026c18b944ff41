/**
 * Caching of open data (the /api/v1 answers and the public downloads): the same for everyone,
 * so shared caches may keep it for a minute.
 */
export const OPEN_DATA_CACHE_CONTROL = 'public, max-age=60';

/** The key of one (institution, resolution) pair in maps of progress values. */
export const pairKey = (institutionId: string, resolutionId: string): string => `${institutionId}|${resolutionId}`;

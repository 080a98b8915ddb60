export function startMoto(root: string): Promise<{ endpoint: string; stop: () => void }>;

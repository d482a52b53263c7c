export function check(port: number, timeoutMs?: number): Promise<boolean>;

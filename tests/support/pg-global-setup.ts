// Placeholder until the PostgreSQL harness lands: provides no server.
export default function setup(): void {}

/**
 * The Waypoint app on the local host CLI as a child process that chaos can kill: SIGKILL and a
 * restart on the same store files and the same port (so clients keep one URL), or SIGTERM for a
 * graceful stop. One kill or restart at a time; a kill asked for while one is under way is skipped.
 */
import { assertAlive, killHard, spawnHostProcess, type HostProcess } from '../support/host-process';

export interface ChaosHostOptions {
  port: number;
  storePath: string;
  masterKey: string;
  env: NodeJS.ProcessEnv;
}

export class ChaosHost {
  kills = 0;
  /** Kills asked for right after an approval was accepted. */
  killsAfterApproval = 0;
  private current: HostProcess | undefined;
  private busy = false;
  /** Output of hosts that are gone, for a failure message. */
  private past = '';

  constructor(private readonly options: ChaosHostOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  async start(): Promise<void> {
    this.current = await spawnHostProcess({
      storePath: this.options.storePath,
      masterKey: this.options.masterKey,
      env: this.options.env,
      port: this.options.port,
      readyTimeoutMs: 180_000,
    });
  }

  /** SIGKILL, then a new host on the same files. False when another kill was under way. */
  async killAndRestart(afterApproval = false): Promise<boolean> {
    if (this.busy || !this.current) return false;
    this.busy = true;
    try {
      this.kills++;
      if (afterApproval) this.killsAfterApproval++;
      this.past = (this.past + this.current.output()).slice(-20_000);
      await killHard(this.current);
      this.current = undefined;
      await this.start();
      return true;
    } finally {
      this.busy = false;
    }
  }

  /** SIGTERM: the host drains and exits; resolves with its exit code. */
  async stopGracefully(): Promise<number | null> {
    while (this.busy) await new Promise((resolve) => setTimeout(resolve, 50));
    const host = this.current;
    if (!host) return null;
    this.current = undefined;
    host.child.kill('SIGTERM');
    const code = await host.exited;
    this.past = (this.past + host.output()).slice(-20_000);
    return code;
  }

  async killFinally(): Promise<void> {
    if (this.current) await killHard(this.current);
    this.current = undefined;
  }

  /** Throws with the host's output when it died on its own (not killed by chaos). */
  checkAlive(): void {
    if (this.current && !this.busy) assertAlive(this.current);
  }

  output(): string {
    return (this.past + (this.current?.output() ?? '')).slice(-8_000);
  }
}

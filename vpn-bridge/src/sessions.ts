/**
 * The VPN sessions OpenVPN holds, by client id (one per connection) and by container (the
 * current one). A container that reconnects gets a new client id before OpenVPN reports
 * the old one's DISCONNECT: the late DISCONNECT then ends only the old session.
 */

export interface Session {
  /** OpenVPN's client id. */
  cid: string;
  container: string;
  org: string;
  address: string;
  /** SHA-256 of the token it joined with, so its reports need no second check. */
  tokenHash: string;
  /** True once OpenVPN reported ESTABLISHED (the tunnel is up). */
  established: boolean;
}

export class Sessions {
  private readonly byCid = new Map<string, Session>();
  private readonly currentCid = new Map<string, string>();

  /** Records a session OpenVPN let in; returns the client id it supersedes, if any. */
  admit(session: Omit<Session, "established">): string | null {
    const previous = this.currentCid.get(session.container) ?? null;
    this.byCid.set(session.cid, { ...session, established: false });
    this.currentCid.set(session.container, session.cid);
    return previous === session.cid ? null : previous;
  }

  /** Marks the tunnel up; returns the session only when it is still its container's current one. */
  establish(cid: string): Session | null {
    const session = this.byCid.get(cid);
    if (!session || this.currentCid.get(session.container) !== cid) return null;
    session.established = true;
    return session;
  }

  /** Forgets a connection; `current` is false for a superseded one (its container is still on). */
  drop(cid: string): { session: Session; current: boolean } | null {
    const session = this.byCid.get(cid);
    if (!session) return null;
    this.byCid.delete(cid);
    const current = this.currentCid.get(session.container) === cid;
    if (current) this.currentCid.delete(session.container);
    return { session, current };
  }

  /** The current session of a container. */
  of(container: string): Session | undefined {
    const cid = this.currentCid.get(container);
    return cid === undefined ? undefined : this.byCid.get(cid);
  }

  /** True when the container has a current session (connecting or up). */
  isActive(container: string): boolean {
    return this.currentCid.has(container);
  }

  /** The established current session that holds `address`. */
  atAddress(address: string): Session | undefined {
    let found: Session | undefined;
    for (const cid of this.currentCid.values()) {
      const session = this.byCid.get(cid);
      // A deleted container's session lingers a few seconds (OpenVPN's delayed exit) while its
      // address already serves a new container: OpenVPN routes to the newest, and so must this.
      if (session?.established && session.address === address && (!found || Number(session.cid) > Number(found.cid))) found = session;
    }
    return found;
  }

  /** The established current sessions of an org (told again to its gateway after a reconnect). */
  ofOrg(org: string): Session[] {
    const sessions: Session[] = [];
    for (const cid of this.currentCid.values()) {
      const session = this.byCid.get(cid);
      if (session?.established && session.org === org) sessions.push(session);
    }
    return sessions;
  }

  /** Every connection of a container, current or superseded (to kill them all). */
  cidsOf(container: string): string[] {
    return [...this.byCid.values()].filter((s) => s.container === container).map((s) => s.cid);
  }
}

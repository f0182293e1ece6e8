// Who is next, per PROTOCOL.md: for user `u`, the name right after the last occurrence of
// `u` in the list of TIMER users, once trailing `u`s are dropped; the first name when `u`
// is not in the list. Kept incrementally, so that a PUT costs the same with 20,000 entries
// of history as with none.
import { isBlank } from "./rules.ts";

export class Rotation {
  private first: string | null = null;
  private last: string | null = null;
  /**
   * The latest name that directly followed a run of each user: the answer for that user
   * (the name after its last occurrence, trailing runs of it dropped).
   */
  private readonly follower = new Map<string, string>();

  add(user: string | null): void {
    if (isBlank(user)) return;
    if (this.first === null) this.first = user;
    if (this.last !== null && this.last !== user) this.follower.set(this.last, user);
    this.last = user;
  }

  nextAfter(user: string | null): string | null {
    if (this.first === null) return null;
    if (!isBlank(user)) {
      const follower = this.follower.get(user);
      if (follower !== undefined) return follower;
      // Without a follower, a list that starts with `user` holds nothing but `user`.
      if (this.first === user) return null;
    }
    return this.first;
  }
}

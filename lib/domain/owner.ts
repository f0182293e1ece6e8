// A room a team owns: who may change it, and whether strangers may even watch. Ownership is
// a slow hash of the room's key, kept in the room's settings, so that every store keeps it
// with the room and every instance enforces it. The hashing happens outside the domain
// (it is slow on purpose, and Bun's): the deciders here take the finished hash.
import type { OwnerAction, RoomChange } from "./changes.ts";
import type { Decide } from "./rooms.ts";
import { withFeatures, type RoomOwner, type RoomSettings } from "./settings.ts";

/** What anyone may know of a room's ownership: never the hash. */
export interface OwnerStatus {
  claimed: boolean;
  private: boolean;
}

/** The room's owner, or null for a room nobody claimed. */
export function ownerOf(settings: RoomSettings | null): RoomOwner | null {
  return settings?.owner ?? null;
}

export function ownerStatus(owner: RoomOwner | null): OwnerStatus {
  return { claimed: owner !== null, private: owner?.private ?? false };
}

function ownerChange(settings: RoomSettings | null, owner: RoomOwner | null, action: OwnerAction): RoomChange {
  return { kind: "settings", settings: withFeatures(settings, { owner }), cause: { type: "owner", action } };
}

/** Claims the room with the key whose hash is `hash`; nothing when it is claimed already (the first claim wins). */
export function claim(hash: string, isPrivate: boolean): Decide {
  return (room, now) => {
    if (ownerOf(room.settings) !== null) return null;
    return ownerChange(room.settings, { hash, private: isPrivate, claimed: new Date(now).toISOString() }, "claimed");
  };
}

/** Replaces the key: the old one stops working at once. Nothing for a room nobody owns. */
export function rotate(hash: string): Decide {
  return (room) => {
    const owner = ownerOf(room.settings);
    return owner && ownerChange(room.settings, { ...owner, hash }, "rotated");
  };
}

/** Gives the room back to everyone. Nothing for a room nobody owns. */
export function release(): Decide {
  return (room) => (ownerOf(room.settings) === null ? null : ownerChange(room.settings, null, "released"));
}

/** Makes reading need the key, or not. Nothing for a room nobody owns, or one that is so already. */
export function makePrivate(isPrivate: boolean): Decide {
  return (room) => {
    const owner = ownerOf(room.settings);
    if (owner === null || owner.private === isPrivate) return null;
    return ownerChange(room.settings, { ...owner, private: isPrivate }, isPrivate ? "private" : "public");
  };
}

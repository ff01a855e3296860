/** Fixtures of gateway tests: an org pushed to its gateway with people and projects. */
import { expect } from "vitest";
import type { MembershipSnapshot } from "../src/membership";
import { nextVersion, pushSnapshot } from "./sockets";

const uuid = () => crypto.randomUUID();

/** An org with an owner and three members, and two org-visible projects, pushed to its gateway. */
export async function orgWithProjects() {
  const org = uuid();
  const people = { owner: uuid(), alice: uuid(), bob: uuid(), viewer: uuid() };
  const projects = { a: uuid(), b: uuid() };
  const snapshot: MembershipSnapshot = {
    org,
    version: nextVersion(),
    members: [
      { userId: people.owner, role: "owner" },
      { userId: people.alice, role: "member" },
      { userId: people.bob, role: "member" },
      { userId: people.viewer, role: "member" },
    ],
    projects: [
      { id: projects.a, visibility: "org", members: [] },
      { id: projects.b, visibility: "org", members: [] },
    ],
  };
  expect(await pushSnapshot(snapshot)).toMatchObject({ applied: true });
  return { org, people, projects };
}

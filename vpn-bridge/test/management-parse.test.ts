import { describe, expect, it } from "vitest";
import { LineSplitter, ManagementParser, clientAuthCommand, clientDenyCommand, quoteArgument, type ManagementLine } from "../src/management-parse.ts";

function feed(lines: string[]): ManagementLine[] {
  const parser = new ManagementParser();
  return lines.map((line) => parser.push(line)).filter((item): item is ManagementLine => item !== null);
}

describe("management line parsing", () => {
  it("gathers a CONNECT and its ENV block into one event, keeping '=' inside values", () => {
    const items = feed([
      ">CLIENT:CONNECT,7,2",
      ">CLIENT:ENV,untrusted_ip=10.203.0.2",
      ">CLIENT:ENV,username=abcdefabcdef",
      ">CLIENT:ENV,password=kct.x=y=z",
      ">CLIENT:ENV,END",
    ]);
    expect(items).toEqual([
      { type: "client", event: { kind: "CONNECT", cid: "7", kid: "2", env: { untrusted_ip: "10.203.0.2", username: "abcdefabcdef", password: "kct.x=y=z" } } },
    ]);
  });

  it("reads REAUTH with a key id, ESTABLISHED and DISCONNECT without one", () => {
    const items = feed([
      ">CLIENT:REAUTH,3,1", ">CLIENT:ENV,common_name=a", ">CLIENT:ENV,END",
      ">CLIENT:ESTABLISHED,3", ">CLIENT:ENV,END",
      ">CLIENT:DISCONNECT,3\r", ">CLIENT:ENV,time_duration=12\r", ">CLIENT:ENV,END\r",
    ]);
    expect(items.map((i) => (i.type === "client" ? [i.event.kind, i.event.cid, i.event.kid] : i.type))).toEqual([
      ["REAUTH", "3", "1"],
      ["ESTABLISHED", "3", null],
      ["DISCONNECT", "3", null],
    ]);
    const last = items[2];
    expect(last?.type === "client" && last.event.env).toEqual({ time_duration: "12" });
  });

  it("keeps answers, holds and the password prompt apart from client events", () => {
    expect(feed(["ENTER PASSWORD:SUCCESS: password is correct", ">HOLD:Waiting for hold release:0", "ERROR: unknown command", ">INFO:OpenVPN Management Interface"])).toEqual([
      { type: "success", text: "password is correct" },
      { type: "hold", text: "Waiting for hold release:0" },
      { type: "error", text: "unknown command" },
      { type: "info", text: "OpenVPN Management Interface" },
    ]);
  });

  it("ignores ENV lines with no header before them and a CONNECT without a key id", () => {
    expect(feed([">CLIENT:ENV,a=b", ">CLIENT:CONNECT,1"])).toEqual([
      { type: "other", text: ">CLIENT:ENV,a=b" },
      { type: "other", text: ">CLIENT:CONNECT,1" },
    ]);
  });

  it("a one-line ADDRESS notification does not swallow the next block", () => {
    const items = feed([">CLIENT:ADDRESS,4,172.16.0.2,1", ">CLIENT:ESTABLISHED,4", ">CLIENT:ENV,END"]);
    expect(items.map((i) => i.type)).toEqual(["other", "client"]);
  });

  it("splits chunks into lines, holding a partial line", () => {
    const splitter = new LineSplitter();
    expect(splitter.push(">CLIENT:CON")).toEqual([]);
    expect(splitter.push("NECT,1,0\n>CLIENT:ENV,END\n>INF")).toEqual([">CLIENT:CONNECT,1,0", ">CLIENT:ENV,END"]);
    expect(splitter.push("O:x\n")).toEqual([">INFO:x"]);
  });

  it("writes commands OpenVPN reads: quoted reasons cannot break out of the line", () => {
    expect(clientAuthCommand("5", "0", "172.16.0.9", "255.255.0.0")).toBe("client-auth 5 0\nifconfig-push 172.16.0.9 255.255.0.0\nEND\n");
    expect(clientDenyCommand("5", "0", 'bad "token"\nkill 1')).toBe('client-deny 5 0 "bad \\"token\\" kill 1"\n');
    expect(quoteArgument("a\\b")).toBe('"a\\\\b"');
  });
});

/**
 * Nginx's configuration, as a pure string builder (snapshot-tested). One wildcard server
 * routes every container host: each request is checked by the bridge (`auth_request`),
 * which answers with the container's VPN `ip:port` in a header, and Nginx proxies there.
 * Nothing in it names a container, so a container coming or going never reloads Nginx.
 */
import { VISITOR_HEADERS } from "../../protocol/containers.ts";

export interface NginxOptions {
  /** Where visitors reach Nginx. */
  listen: { host: string; port: number };
  /** The container hosts' domain, e.g. containers.localhost. */
  domain: string;
  /** The scheme visitors use (Nginx may sit behind a TLS terminator). */
  scheme: "http" | "https";
  /** The bridge's internal auth server on 127.0.0.1. */
  authPort: number;
  /** Nginx's own folder (pid, logs, temporary files), given to it with `-p`. */
  prefix: string;
}

/** The headers the bridge's auth server answers with, read by Nginx. */
export const AUTH_HEADERS = {
  /** Who the visitor is and what they may do: passed on to the app under the same names. */
  user: VISITOR_HEADERS.user,
  access: VISITOR_HEADERS.access,
  /** `ip:port` to proxy to. */
  target: "X-Kiln-Target",
  /** The visitor's Cookie header without Kiln's cookie. */
  cookie: "X-Kiln-Cookie",
  /** On 401: where to send the visitor to sign in. */
  signIn: "X-Kiln-Sign-In",
  /** When the bridge itself answers with a page (unknown container, not running). */
  page: "X-Kiln-Page",
} as const;

/** Nginx's variable for an upstream response header: `$upstream_http_x_kiln_target`. */
function upstreamVariable(header: string): string {
  return `$upstream_http_${header.toLowerCase().replace(/-/g, "_")}`;
}

const FORBIDDEN_PAGE =
  "<!doctype html><title>Not allowed</title><h1>Not allowed</h1><p>You may not open this container, or the request came from another site.</p>";

/** The whole nginx.conf for the bridge. */
export function renderNginxConfig(options: NginxOptions): string {
  const { listen, domain, scheme, authPort, prefix } = options;
  const address = `${listen.host.includes(":") ? `[${listen.host}]` : listen.host}:${listen.port}`;
  const domainPattern = domain.replace(/\./g, "\\.");
  const auth = `http://127.0.0.1:${authPort}`;
  return `# Written by the Kiln VPN bridge at each start (vpn-bridge/src/nginx-config.ts): edits are lost.
worker_processes auto;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 4096; }

http {
  access_log ${prefix}/logs/access.log;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  server_tokens off;
  # Uploads go straight through to the app, which sets its own limits.
  client_max_body_size 0;

  map $http_upgrade $kiln_connection {
    default upgrade;
    '' close;
  }

  # Any other Host: nothing here.
  server {
    listen ${address} default_server;
    server_name _;
    location / {
      default_type text/plain;
      return 404 "No container here.\\n";
    }
  }

  server {
    listen ${address};
    server_name "~^uc-[a-z0-9]{12}(--[a-z][a-z0-9-]*)?\\.org-[0-9a-f-]{36}\\.${domainPattern}$";

    # The bridge decides every request; the subrequest carries no body.
    location = /_kiln/auth {
      internal;
      proxy_pass ${auth}/auth;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-Host $http_host;
      proxy_set_header X-Original-URI $request_uri;
      proxy_set_header X-Original-Origin $http_origin;
      proxy_set_header X-Original-Upgrade $http_upgrade;
      # Whether the request is a visitor's use or a tab's background polling (idle culling).
      proxy_set_header X-Original-Method $request_method;
      proxy_set_header X-Original-Fetch-Mode $http_sec_fetch_mode;
      # The answer carries the visitor's cookies back (stripped): room for big ones.
      proxy_buffer_size 32k;
      proxy_buffers 4 32k;
      proxy_busy_buffers_size 64k;
    }

    # A ticket from the app becomes this host's cookie.
    location = /_kiln/callback {
      proxy_pass ${auth}/callback$is_args$args;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-Host $http_host;
    }

    location = /_kiln/forbidden {
      internal;
      default_type text/html;
      return 403 "${FORBIDDEN_PAGE}";
    }

    location @kiln_sign_in {
      return 302 $kiln_sign_in;
    }

    location / {
      auth_request /_kiln/auth;
      auth_request_set $kiln_target ${upstreamVariable(AUTH_HEADERS.target)};
      auth_request_set $kiln_cookie ${upstreamVariable(AUTH_HEADERS.cookie)};
      auth_request_set $kiln_sign_in ${upstreamVariable(AUTH_HEADERS.signIn)};
      auth_request_set $kiln_page ${upstreamVariable(AUTH_HEADERS.page)};
      auth_request_set $kiln_user ${upstreamVariable(AUTH_HEADERS.user)};
      auth_request_set $kiln_access ${upstreamVariable(AUTH_HEADERS.access)};
      error_page 401 = @kiln_sign_in;
      error_page 403 /_kiln/forbidden;

      proxy_pass http://$kiln_target;
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $kiln_connection;
      # Kiln's cookie never reaches the app (an empty value drops the header).
      proxy_set_header Cookie $kiln_cookie;
      proxy_set_header ${AUTH_HEADERS.page} $kiln_page;
      # Who the bridge let in, for apps that ask (the terminal): these replace whatever the
      # visitor sent under the same names (an empty value sends none).
      proxy_set_header ${AUTH_HEADERS.user} $kiln_user;
      proxy_set_header ${AUTH_HEADERS.access} $kiln_access;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto ${scheme};
      # OpenVPN drops a stopped client only ~5 s later: fail fast rather than hang.
      proxy_connect_timeout 5s;
      # Terminals, kernels and event streams stay open for long.
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
`;
}

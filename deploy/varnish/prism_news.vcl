# Varnish in front of a prism_news site: caches what the site marks public
# (Cache-Control: public, s-maxage=...) and honours PURGE from the site itself,
# which prism_news sends through Wagtail's frontend_cache on every change.
# See docs/caching.md. The tests start varnishd with this file (the backend port
# replaced by their server's).
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the site's own hosts.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    # The public API answers everyone alike and reads no session: a cookie the
    # browser sends along must not make it uncacheable. An API token must.
    if (req.url ~ "^/api/v2/" && !req.http.Authorization) {
        unset req.http.Cookie;
    }
    # Pages: only Django's session matters (editors, readers who typed a page's
    # password); other cookies (analytics, preferences) are dropped so readers
    # who carry them still get the cached page.
    if (req.http.Cookie) {
        set req.http.Cookie = ";" + regsuball(req.http.Cookie, ";\s*", ";");
        set req.http.Cookie = regsuball(req.http.Cookie, ";(sessionid)=", "; \1=");
        set req.http.Cookie = regsuball(req.http.Cookie, ";[^ ][^;]*", "");
        set req.http.Cookie = regsuball(req.http.Cookie, "^[; ]+|[; ]+$", "");
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        }
    }
    # Then Varnish's built-in rules: no cache with a session cookie or a token.
}

sub vcl_backend_response {
    # Keep only what the site says shared caches may keep: those are the answers
    # it purges. Anything else (admin, feeds, errors) passes through.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "s-maxage") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
}

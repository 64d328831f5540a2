#!/usr/bin/env bash
# Registry authentication against real parts: a docker-registry with htpasswd Basic auth, and
# one with `auth: token:` backed by tests/lib/token_server.py (Bearer flow, JWT signed with a
# key generated here by openssl). berth login/logout, credentials from a docker config.json,
# wrong credentials, token caching per scope and refresh after a 401.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init
export DOCKER_CONFIG=$T/no-docker-config   # never read the real ~/.docker of this machine

python3 tests/lib/mkimage.py "$T/app" --tag v1 --layers 2 >/dev/null

# ---- Basic (htpasswd) ----
htpasswd -Bbn alice 's3cret pass' > "$T/htpasswd"
start_registry BASIC "$T/htpasswd"
RB=$REG_BASIC_ADDR
push_oci "$T/app:v1" "docker://$RB/test/app:v1" --dest-creds 'alice:s3cret pass'
check "image pushed to the Basic-auth registry" test $? -eq 0

berth_json "$T/b1" "$T/rb" pull "$RB/test/app:v1"
check "Basic: an anonymous pull fails with BERTH_EAUTH" grep -q '"code":"BERTH_EAUTH"' "$T/b1"
check "…and says to run berth login" grep -q "berth login $RB" "$T/b1.err"
"$B" --root "$T/rb" login -u alice -p wrong "$RB" > "$T/b2" 2>&1
check "Basic: login with a wrong password fails and says the credentials were refused" \
    sh -c "test $? -eq 1 && grep -q 'refused the credentials of user \"alice\"' '$T/b2'"
check "…and stores nothing" test ! -s "$T/rb/auth.json"
printf 's3cret pass\n' | "$B" --root "$T/rb" login -u alice --password-stdin "$RB" > "$T/b3" 2>&1
check "Basic: login with the right password succeeds" test $? -eq 0
check "…and auth.json is private (0600)" test "$(stat -c %a "$T/rb/auth.json")" = 600
check "…and holds no clear-text password" sh -c "! grep -q 's3cret' '$T/rb/auth.json'"
berth_json "$T/b4" "$T/rb" pull "$RB/test/app:v1"
check "Basic: the pull after login succeeds" test $? -eq 0
"$B" --root "$T/rb" logout "$RB" > /dev/null 2>&1
berth_json "$T/b5" "$T/rb" pull "$RB/test/app:v1"
check "Basic: after logout an anonymous pull fails again" grep -q '"code":"BERTH_EAUTH"' "$T/b5"
"$B" --root "$T/rb" logout "$RB" > "$T/b6" 2>&1
check "logout twice says it was not logged in" sh -c "test $? -eq 1 && grep -q 'not logged in' '$T/b6'"

mkdir -p "$T/dockercfg"
printf '{"auths": {"http://%s/": {"auth": "%s"}}}\n' "$RB" "$(printf 'alice:s3cret pass' | base64)" > "$T/dockercfg/config.json"
DOCKER_CONFIG=$T/dockercfg berth_json "$T/b7" "$T/rb3" pull "$RB/test/app:v1"
check "Basic: credentials from a docker config.json (auths) are used" test $? -eq 0
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$RB" "$(printf 'alice:nope' | base64)" > "$T/dockercfg/config.json"
DOCKER_CONFIG=$T/dockercfg berth_json "$T/b8" "$T/rb4" pull "$RB/test/app:v1"
check "Basic: wrong credentials in config.json: BERTH_EAUTH naming the file" \
    sh -c "grep -q BERTH_EAUTH '$T/b8' && grep -q 'dockercfg/config.json' '$T/b8.err'"

# ---- Bearer (token server) ----
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/token.key" -out "$T/token.crt" -days 2 \
    -subj /CN=berth-test-token >/dev/null 2>&1
bg_start token python3 tests/lib/token_server.py --key "$T/token.key" --cert "$T/token.crt" \
    --user bob --password hunter2 --port-file "$T/token.port"
TP=$(wait_port_file "$T/token.port") || { not_ok "token server started"; sed 's/^/#   /' "$T/token.log"; tap_done; exit 1; }
cat > "$T/token.yml" <<YML
auth:
  token:
    realm: http://127.0.0.1:$TP/token
    service: berth-test-registry
    issuer: berth-test-issuer
    rootcertbundle: $T/token.crt
YML
start_registry TOKEN "" "$T/token.yml"
RT=$REG_TOKEN_ADDR
push_oci "$T/app:v1" "docker://$RT/test/app:v1" --dest-creds bob:hunter2
check "image pushed to the token-auth registry" test $? -eq 0
tokens() { curl -fsS "http://127.0.0.1:$TP/stats" | jq -r .requests; }

berth_json "$T/t1" "$T/rt" pull "$RT/test/app:v1"
check "Bearer: an anonymous pull fails with BERTH_EAUTH saying to log in" \
    sh -c "grep -q BERTH_EAUTH '$T/t1' && grep -q 'berth login' '$T/t1.err'"
"$B" --root "$T/rt" login -u bob -p wrong "$RT" > "$T/t2" 2>&1
check "Bearer: login with a wrong password is refused by the token service" \
    sh -c "test $? -eq 1 && grep -q 'token service' '$T/t2' && grep -q refused '$T/t2'"
"$B" --root "$T/rt" login -u bob -p hunter2 "$RT" > /dev/null 2>&1
check "Bearer: login with the right password succeeds" test $? -eq 0
n0=$(tokens)
berth_json "$T/t3" "$T/rt" pull "$RT/test/app:v1"
check "Bearer: the pull after login succeeds" test $? -eq 0
n1=$(tokens)
check "Bearer: one token for the whole pull (cached per scope; $((n1 - n0)) requests)" test $((n1 - n0)) -eq 1
"$B" --root "$T/rt-refresh" login -u bob -p hunter2 "$RT" > /dev/null 2>&1
curl -fsS "http://127.0.0.1:$TP/arm?bad=1" >/dev/null
n2=$(tokens)
berth_json "$T/t5" "$T/rt-refresh" pull "$RT/test/app:v1"
r=$?
n3=$(tokens)
check "Bearer: a token the registry rejects is refreshed after the 401 and the pull succeeds" test $r -eq 0
check "…with exactly one extra token request ($((n3 - n2)) in all)" test $((n3 - n2)) -eq 2

# ---- redirects to blob storage elsewhere: the token must not follow ----
bg_start proxy python3 tests/lib/fault_proxy.py --upstream "$RT" --port-file "$T/proxy.port"
PP=$(wait_port_file "$T/proxy.port")
curl -fsS "http://127.0.0.1:$PP/__proxy/set?mode=redirect&count=-1" >/dev/null
"$B" --root "$T/rt-redirect" login -u bob -p hunter2 "127.0.0.1:$PP" > /dev/null 2>&1
berth_json "$T/t6" "$T/rt-redirect" pull "127.0.0.1:$PP/test/app:v1"
r=$?
stats=$(curl -fsS "http://127.0.0.1:$PP/__proxy/stats")
check "Bearer + redirect: blobs redirected to another origin are fetched ($(jq .redirected <<<"$stats") redirected)" \
    sh -c "test $r -eq 0 && test $(jq .redirected <<<"$stats") -ge 3"
check "…and the other origin never saw an Authorization header" test "$(jq .redirect_auth_seen <<<"$stats")" -eq 0

tap_done

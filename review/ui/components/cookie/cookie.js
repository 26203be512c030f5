// Sets (or clears, with an empty value) the session cookie. Only a signed, expiring token is
// stored: never a password. SameSite=Strict keeps it off requests from other sites.
export default function (component) {
  const { data } = component;
  if (!data || !data.name) return;
  const value = encodeURIComponent(data.value || "");
  const age = data.value ? Math.max(0, Math.floor(data.max_age || 0)) : 0;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = data.name + "=" + value + "; Max-Age=" + age + "; Path=/; SameSite=Strict"
    + secure;
}

// Ready-to-paste code of the Deploy page: the script tag that embeds the widget, and how a business's own
// server signs who a visitor is.

/** Text safe inside a double-quoted HTML attribute. */
function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The one tag a site adds to its pages: the loader from this server, bound to a publishable key. */
export function buildEmbedSnippet(origin: string, publishableKey: string): string {
  const loader = `${origin.replace(/\/+$/, '')}/widget.js`;
  return `<script src="${escapeAttribute(loader)}" data-chatbot="${escapeAttribute(publishableKey)}" async></script>`;
}

/** Node.js code that signs a visitor's identity with the chatbot's secret (HS256, `sub`, at most 24 h). */
export function buildIdentitySigningExample(chatbotId: string): string {
  return `// On your server (Node.js 18+): npm install jose
// Keep the secret on the server, in an environment variable; never put it in a web page.
import { SignJWT } from 'jose';

const secret = new TextEncoder().encode(process.env.POLLYBOT_IDENTITY_SECRET);

/** A token that tells the widget who the signed-in user is. */
export function pollybotIdentityToken(user) {
  return new SignJWT({ name: user.name, email: user.email }) // both optional
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(user.id)) // required: your user's id
    .setAudience(${JSON.stringify(chatbotId)}) // optional: this chatbot only
    .setIssuedAt()
    .setExpirationTime('1h') // required, at most 24 h
    .sign(secret);
}`;
}

/** What the page does with the token its server signed. */
export const IDENTIFY_SNIPPET = `<script>
  // Before or after the widget's script tag: calls made before it loads are queued.
  window.PollyBot = window.PollyBot || function () { (PollyBot.q = PollyBot.q || []).push(arguments); };
  PollyBot('identify', { token: 'TOKEN_FROM_YOUR_SERVER' });
</script>`;

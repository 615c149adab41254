// The Sandbox chat page: plays one Telegram user against a bot through the control API (/sandbox/telegram).
// Everything the bot sends is read back from the chat history, so edits and deletions show as they happen.
(() => {
  "use strict";
  const api = "/sandbox/telegram";
  const $ = (id) => document.getElementById(id);
  let shown = "";

  async function call(method, path, body) {
    const response = await fetch(api + path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || problem.title || response.statusText);
    }
    return response.status === 204 ? null : response.json();
  }

  const token = () => $("bot").value;
  const user = () => ({
    userId: Number($("user-id").value),
    firstName: $("first-name").value || undefined,
    username: $("username").value || undefined,
    languageCode: $("language").value || undefined,
  });
  const isPrivate = () => $("chat-type").value === "private";
  const chatId = () => (isPrivate() ? Number($("user-id").value) : Number($("chat-id").value));
  const status = (text) => { $("status").textContent = text; };

  async function loadBots(select) {
    const bots = await call("GET", "/bots");
    const list = $("bot");
    list.replaceChildren(...bots.map((bot) => {
      const option = document.createElement("option");
      option.value = bot.token;
      option.textContent = `@${bot.username} (${bot.id})`;
      return option;
    }));
    if (select) list.value = select;
    shown = "";
  }

  function keyboard(message) {
    const rows = message.reply_markup && message.reply_markup.inline_keyboard;
    if (!rows) return null;
    const box = document.createElement("div");
    box.className = "keyboard";
    for (const row of rows) {
      const line = document.createElement("div");
      for (const key of row) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = key.text;
        if (key.callback_data !== undefined) {
          button.addEventListener("click", () => press(message.message_id, key.callback_data));
        } else if (key.url) {
          button.title = key.url;
        }
        line.append(button);
      }
      box.append(line);
    }
    return box;
  }

  function render(messages) {
    const list = $("messages");
    const me = Number($("user-id").value);
    list.replaceChildren(...messages.map((m) => {
      const item = document.createElement("li");
      item.classList.add(m.fromBot ? "bot" : m.userId === me ? "mine" : "other");
      if (m.deleted) item.classList.add("deleted");
      const meta = document.createElement("span");
      meta.className = "meta";
      const from = m.message.from ? m.message.from.first_name : "?";
      meta.textContent = `#${m.messageId} ${from}${m.edited ? " · edited" : ""}${m.deleted ? " · deleted" : ""}`;
      item.append(meta, document.createTextNode(m.text ?? describe(m.message)));
      const keys = keyboard(m.message);
      if (keys && !m.deleted) item.append(keys);
      return item;
    }));
    list.scrollTop = list.scrollHeight;
  }

  function describe(message) {
    if (message.new_chat_members) return `joined: ${message.new_chat_members.map((u) => u.first_name).join(", ")}`;
    if (message.left_chat_member) return `left: ${message.left_chat_member.first_name}`;
    return "(no text)";
  }

  async function refresh() {
    if (!token()) return;
    try {
      const messages = await call("GET", `/bots/${token()}/chats/${chatId()}/messages`);
      const json = JSON.stringify(messages);
      if (json !== shown) {
        shown = json;
        render(messages);
      }
    } catch {
      $("messages").replaceChildren();
      shown = "";
    }
  }

  async function send(event) {
    event.preventDefault();
    const text = $("text").value;
    if (!text || !token()) return;
    const body = { ...user(), text, chatType: $("chat-type").value };
    if (!isPrivate()) {
      body.chatId = chatId();
      body.chatTitle = $("chat-title").value;
    }
    try {
      await call("POST", `/bots/${token()}/messages`, body);
      $("text").value = "";
      status("");
      await refresh();
    } catch (error) {
      status(error.message);
    }
  }

  async function press(messageId, data) {
    try {
      const u = user();
      await call("POST", `/bots/${token()}/callback-queries`, { chatId: chatId(), userId: u.userId, messageId, data, firstName: u.firstName, languageCode: u.languageCode });
      status(`pressed "${data}"`);
    } catch (error) {
      status(error.message);
    }
  }

  async function member(event) {
    if (isPrivate()) { status("Pick a group first."); return; }
    const u = user();
    try {
      await call("POST", `/bots/${token()}/members`, { chatId: chatId(), chatType: $("chat-type").value, chatTitle: $("chat-title").value, userId: u.userId, firstName: u.firstName, username: u.username, event });
      await refresh();
    } catch (error) {
      status(error.message);
    }
  }

  async function makeBotAdmin() {
    if (isPrivate()) { status("Pick a group first."); return; }
    const bot = (await call("GET", "/bots")).find((b) => b.token === token());
    await call("PUT", `/bots/${token()}/chats/${chatId()}/members/${bot.id}`, { status: "administrator", chatType: $("chat-type").value, chatTitle: $("chat-title").value });
    status("The bot is an administrator of this group.");
  }

  async function setBlocked() {
    try {
      await call("PUT", `/bots/${token()}/chats/${$("user-id").value}/blocked`, { blocked: $("blocked").checked });
    } catch (error) {
      status(error.message);
    }
  }

  $("compose").addEventListener("submit", send);
  $("new-bot").addEventListener("click", async () => loadBots((await call("POST", "/bots", {})).token));
  $("join").addEventListener("click", () => member("joined"));
  $("leave").addEventListener("click", () => member("left"));
  $("bot-admin").addEventListener("click", () => makeBotAdmin().catch((error) => status(error.message)));
  $("blocked").addEventListener("change", setBlocked);
  for (const id of ["bot", "chat-type", "chat-id", "user-id"]) $(id).addEventListener("change", () => { shown = ""; refresh(); });

  loadBots().then(refresh).catch((error) => status(error.message));
  setInterval(refresh, 1000);
})();

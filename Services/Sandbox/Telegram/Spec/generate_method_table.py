#!/usr/bin/env python3
"""Writes telegram-bot-api.methods.json: the parameter table of the Bot API methods the Sandbox serves.

The table is trimmed from the vendored spec (Tests/Specs/telegram-bot-api.json, MIT, see
telegram-bot-api.methods.json.NOTICE.txt): for each method its return types and fields (name, types,
required), plus every object type reachable from those fields, so nested JSON objects can be checked too,
and the fixed value of a union member's discriminator field ("type": "chat").
Descriptions are left out. Run from the repository root after updating the vendored spec:

    python3 Services/Sandbox/Telegram/Spec/generate_method_table.py

Tests/Atlas.Sandbox.Tests checks that the committed table equals what this script would write.
"""
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[4]
SPEC = ROOT / "Tests" / "Specs" / "telegram-bot-api.json"
OUTPUT = pathlib.Path(__file__).resolve().parent / "telegram-bot-api.methods.json"

# The methods the Sandbox implements, in the order of the Bot API documentation.
METHODS = [
    "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo", "getMe",
    "sendMessage", "sendChatAction", "banChatMember", "unbanChatMember", "restrictChatMember", "getChat",
    "getChatAdministrators", "getChatMember", "answerCallbackQuery",
    "setMyCommands", "deleteMyCommands", "getMyCommands",
    "editMessageText", "deleteMessage",
]

PRIMITIVES = {"Integer", "Float", "String", "Boolean", "InputFile", "True"}


def element_type(type_name):
    """'Array of Array of X' -> 'X'."""
    return re.sub(r"^(Array of )+", "", type_name)


def trim_field(field):
    trimmed = {"name": field["name"], "types": field["types"], "required": field["required"]}
    # Subtypes of a union say which one they are in a field whose text reads "..., must be chat".
    fixed = re.search(r", must be (\w+)$", field.get("description", ""))
    if fixed:
        trimmed["value"] = fixed.group(1)
    return trimmed


def trim_fields(fields):
    return [trim_field(f) for f in fields]


def main():
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    methods = {}
    pending = []
    for name in METHODS:
        method = spec["methods"][name]
        fields = trim_fields(method.get("fields", []))
        methods[name] = {"returns": method["returns"], "fields": fields}
        pending.extend(element_type(t) for f in fields for t in f["types"])

    types = {}
    while pending:
        name = pending.pop()
        if name in PRIMITIVES or name in types:
            continue
        spec_type = spec["types"][name]
        fields = trim_fields(spec_type.get("fields", []))
        subtypes = spec_type.get("subtypes", [])
        types[name] = {"fields": fields, "subtypes": subtypes}
        pending.extend(element_type(t) for f in fields for t in f["types"])
        pending.extend(subtypes)

    table = {
        "version": spec["version"],
        "release_date": spec["release_date"],
        "methods": methods,
        "types": dict(sorted(types.items())),
    }
    OUTPUT.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

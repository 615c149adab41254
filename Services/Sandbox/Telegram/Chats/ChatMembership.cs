using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Chats;

/// <summary>A user's standing in one chat, as getChatMember reports it.</summary>
internal sealed class ChatMembership(string status)
{
    public const string Creator = "creator";
    public const string Administrator = "administrator";
    public const string Member = "member";
    public const string Restricted = "restricted";
    public const string Left = "left";
    public const string Kicked = "kicked";

    public static readonly IReadOnlyList<string> Statuses = [Creator, Administrator, Member, Restricted, Left, Kicked];

    public string Status { get; set; } = status;

    /// <summary>Unix time a ban or restriction ends; 0 or null for forever.</summary>
    public long? UntilDate { get; set; }

    /// <summary>The ChatPermissions of a restricted member.</summary>
    public JsonObject? Permissions { get; set; }

    /// <summary>True when the user currently belongs to the chat.</summary>
    public bool IsPresent => Status is Creator or Administrator or Member || (Status == Restricted && Permissions.Flag("is_member", true));

    public bool IsAdministrator => Status is Creator or Administrator;
}

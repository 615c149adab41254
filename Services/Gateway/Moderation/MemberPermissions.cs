using Telegram.Bot.Types;

namespace Atlas.Gateway.Moderation;

/// <summary>The permissions an ordinary member gets back when Moderation lifts a mute.</summary>
public static class MemberPermissions
{
    public static ChatPermissions Default => new()
    {
        CanSendMessages = true, CanSendAudios = true, CanSendDocuments = true, CanSendPhotos = true,
        CanSendVideos = true, CanSendVideoNotes = true, CanSendVoiceNotes = true, CanSendPolls = true,
        CanSendOtherMessages = true, CanAddWebPagePreviews = true,
    };
}

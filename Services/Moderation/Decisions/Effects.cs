using Atlas.Contracts.Moderation;
using Atlas.Contracts.Telegram;

namespace Atlas.Moderation.Decisions;

/// <summary>The bus messages one handled event produced, stored with it so a redelivery can publish them again.</summary>
public sealed record Effects(List<ModerationActionRequested> Actions, List<SendTelegramMessage> Replies)
{
    public Effects()
        : this([], [])
    {
    }

    public bool IsEmpty => Actions.Count == 0 && Replies.Count == 0;
}

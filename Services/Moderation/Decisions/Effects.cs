using Atlas.Contracts.Moderation;
using Atlas.Contracts.Telegram;
using Atlas.Contracts.Workflow;

namespace Atlas.Moderation.Decisions;

/// <summary>The bus messages one handled event produced, stored with it so a redelivery can publish them again.</summary>
public sealed record Effects(List<ModerationActionRequested> Actions, List<SendTelegramMessage> Replies)
{
    public Effects()
        : this([], [])
    {
    }

    /// <summary>Appeals to hand to Workflow's appeal review (effects stored before there were any read as none).</summary>
    public List<StartAppealReview> Reviews { get; init; } = [];

    /// <summary>Reviews to withdraw, of appeals an admin settled first (read as none from effects stored before there were any).</summary>
    public List<CancelAppealReview> Withdrawals { get; init; } = [];

    public bool IsEmpty => Actions.Count == 0 && Replies.Count == 0 && Reviews.Count == 0 && Withdrawals.Count == 0;
}

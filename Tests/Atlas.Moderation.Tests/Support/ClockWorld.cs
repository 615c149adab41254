using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Moderation.Tests.Support;

/// <summary>
/// A <see cref="ModerationWorld"/> whose Moderation runs on a <see cref="FakeTimeProvider"/> that starts at the real
/// time (so Telegram's until dates stay plausible) and moves only when a test advances it.
/// </summary>
public sealed class ClockWorld : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public ModerationWorld World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        World = ModerationWorld.With(
            null,
            new Dictionary<string, string?> { ["Moderation:WarningLifetime"] = "30.00:00:00" },
            services => services.AddSingleton<TimeProvider>(Time));
        await World.InitializeAsync();
    }

    public Task DisposeAsync() => World.DisposeAsync();
}

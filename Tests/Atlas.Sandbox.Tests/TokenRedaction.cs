using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atlas.Sandbox.Tests;

/// <summary>Bot tokens travel in URL paths; nothing the Sandbox logs may show one.</summary>
public sealed class TokenRedaction
{
    [Fact]
    public async Task Keeps_tokens_out_of_every_log_line()
    {
        var logs = new CapturingProvider();
        var token = TelegramBotToken.Create();
        var secret = token[(token.IndexOf(':', StringComparison.Ordinal) + 1)..];
        await using (var host = await SandboxHost.StartAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" },
            services => services.AddSingleton<ILoggerProvider>(logs)))
        {
            await host.Telegram.CreateBotAsync(token);
            await host.Telegram.SendMessageAsync(token, 1401, "hi");
            await host.Telegram.CallBotApiAsync(token, "getMe");
            await host.Telegram.CallBotApiAsync(token, "sendMessage", new JsonObject { ["chat_id"] = 1401 });
            await host.Telegram.CallBotApiAsync(token, "noSuchMethod");
            await host.Telegram.GetActionsAsync(token);
            await host.Telegram.DeleteBotAsync(token);
            await host.Telegram.CallBotApiAsync(token, "getMe");
        }

        logs.Messages.Should().NotBeEmpty();
        logs.Messages.Should().NotContain(m => m.Contains(secret, StringComparison.Ordinal));
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => [.. _messages];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider._messages.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}

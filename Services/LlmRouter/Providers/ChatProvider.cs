using Microsoft.Extensions.AI;

namespace Atlas.LlmRouter.Providers;

/// <summary>One configured model endpoint: its name (ollama, openai), its <see cref="IChatClient"/> pipeline and limits.</summary>
public sealed record ChatProvider(string Name, string Model, IChatClient Client, TimeSpan Timeout, int ContextWindowChars);

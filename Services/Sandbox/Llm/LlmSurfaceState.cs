using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Llm;

/// <summary>One request the stand-in received: which surface, the model asked for and the messages as sent.</summary>
public sealed record LlmRecordedRequest(string Surface, string? Model, JsonArray Messages, bool Stream, DateTimeOffset At);

/// <summary>
/// The state of the LLM stand-in: the switch per surface and every request received (for tests: how often a provider
/// was called and what prompt it saw). Thread-safe.
/// </summary>
public sealed class LlmSurfaceState
{
    public const string Ollama = "ollama";
    public const string OpenAi = "openai";
    public static readonly IReadOnlyList<string> Surfaces = [Ollama, OpenAi];

    private readonly Lock _sync = new();
    private readonly Dictionary<string, LlmFault> _faults = [];
    private readonly Dictionary<string, int> _remaining = [];
    private readonly List<LlmRecordedRequest> _requests = [];
    private readonly Dictionary<string, int> _held = [];
    private readonly Dictionary<string, List<LlmScriptedReply>> _scripts = [];

    public void SetFault(string surface, LlmFault fault)
    {
        lock (_sync)
        {
            _faults[surface] = fault;
            _remaining.Remove(surface);
            if (fault.Times is { } times)
            {
                _remaining[surface] = times;
            }
        }
    }

    public void ClearFault(string surface)
    {
        lock (_sync)
        {
            _faults.Remove(surface);
            _remaining.Remove(surface);
        }
    }

    public LlmFault? GetFault(string surface)
    {
        lock (_sync)
        {
            return _faults.GetValueOrDefault(surface);
        }
    }

    /// <summary>Records the request and returns the switch it meets (using up one of a limited switch's turns).</summary>
    public LlmFault? Arrive(LlmRecordedRequest request)
    {
        lock (_sync)
        {
            _requests.Add(request);
            if (!_faults.TryGetValue(request.Surface, out var fault))
            {
                return null;
            }

            if (_remaining.TryGetValue(request.Surface, out var left))
            {
                if (left <= 1)
                {
                    _faults.Remove(request.Surface);
                    _remaining.Remove(request.Surface);
                }
                else
                {
                    _remaining[request.Surface] = left - 1;
                }
            }

            return fault;
        }
    }

    /// <summary>
    /// How many requests a slow or hang switch holds right now. A request counts once its wait is armed on the
    /// Sandbox clock, so a test that advances a fake clock after seeing it held knows the advance reaches it.
    /// </summary>
    public int Held(string surface)
    {
        lock (_sync)
        {
            return _held.GetValueOrDefault(surface);
        }
    }

    /// <summary>Counts a held request until the returned scope ends.</summary>
    public IDisposable Hold(string surface)
    {
        lock (_sync)
        {
            _held[surface] = _held.GetValueOrDefault(surface) + 1;
        }

        return new HeldScope(this, surface);
    }

    /// <summary>Adds a scripted reply for <paramref name="surface"/> after those already set.</summary>
    public void AddScript(string surface, LlmScriptedReply script)
    {
        lock (_sync)
        {
            if (!_scripts.TryGetValue(surface, out var scripts))
            {
                _scripts[surface] = scripts = [];
            }

            scripts.Add(script);
        }
    }

    public void ClearScripts(string surface)
    {
        lock (_sync)
        {
            _scripts.Remove(surface);
        }
    }

    public IReadOnlyList<LlmScriptedReply> Scripts(string surface)
    {
        lock (_sync)
        {
            return _scripts.TryGetValue(surface, out var scripts) ? [.. scripts] : [];
        }
    }

    /// <summary>The scripted reply for a request whose last user message is <paramref name="lastUserMessage"/>, or null.</summary>
    public string? ScriptedReply(string surface, string lastUserMessage)
    {
        lock (_sync)
        {
            return _scripts.TryGetValue(surface, out var scripts) ? scripts.FirstOrDefault(s => s.Matches(lastUserMessage))?.Reply : null;
        }
    }

    public IReadOnlyList<LlmRecordedRequest> Requests(string surface)
    {
        lock (_sync)
        {
            return [.. _requests.Where(r => r.Surface == surface)];
        }
    }

    public void Reset()
    {
        lock (_sync)
        {
            _faults.Clear();
            _remaining.Clear();
            _requests.Clear();
            _scripts.Clear();
        }
    }

    private sealed class HeldScope(LlmSurfaceState state, string surface) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lock (state._sync)
                {
                    state._held[surface] = state._held.GetValueOrDefault(surface) - 1;
                }
            }
        }
    }
}

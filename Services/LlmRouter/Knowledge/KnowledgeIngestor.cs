using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Atlas.LlmRouter.Knowledge;

/// <summary>Why a document was not accepted: a field problem, or the PII rule that matched.</summary>
public sealed record IngestRejection(string Title, string Detail, string? Rule = null, string? Field = null, int? Index = null);

/// <summary>
/// Turns submitted documents into stored ones: checks the fields, applies the PII filter (reject or mask), resolves
/// the language, chunks the text and upserts the batch in one transaction. Nothing is stored when any document is
/// rejected.
/// </summary>
public sealed class KnowledgeIngestor(IKnowledgeStore store, IOptionsMonitor<KnowledgeOptions> options, TimeProvider time)
{
    public async Task<(IReadOnlyList<string> Ids, IngestRejection? Rejection)> IngestAsync(
        IReadOnlyList<KnowledgeDocumentInput> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var settings = options.CurrentValue;
        if (inputs.Count == 0 || inputs.Count > settings.MaxBulkDocuments)
        {
            return ([], new IngestRejection("Invalid batch", $"Send between 1 and {settings.MaxBulkDocuments} documents."));
        }

        var prepared = new List<PreparedDocument>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var (document, rejection) = Prepare(inputs[i], settings);
            if (rejection is not null)
            {
                return ([], rejection with { Index = inputs.Count > 1 ? i : null });
            }

            prepared.Add(document!);
        }

        await store.UpsertAsync(prepared, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return (prepared.Select(d => d.Id).ToList(), null);
    }

    private static (PreparedDocument? Document, IngestRejection? Rejection) Prepare(KnowledgeDocumentInput input, KnowledgeOptions settings)
    {
        // A Markdown document without a title is titled by its first top-level heading.
        input = string.IsNullOrWhiteSpace(input.Title) && input.Format != "plain" && DocumentChunker.FirstTitle(input.Body) is { } heading
            ? input with { Title = heading }
            : input;
        if (string.IsNullOrWhiteSpace(input.Title) || string.IsNullOrWhiteSpace(input.Body))
        {
            return (null, new IngestRejection(
                "Invalid document", "A document needs a non-empty title and body (the title as the field title, ?title= for Markdown or plain text, or a Markdown '# ' heading)."));
        }

        // PostgreSQL cannot store U+0000 in text; said here rather than failing the batch's transaction.
        var withNul = new[] { ("id", input.Id), ("title", input.Title), ("body", input.Body), ("source", input.Source) }
            .Concat((input.Tags ?? []).Select(t => ("tags", (string?)t)))
            .FirstOrDefault(f => f.Item2?.Contains('\0', StringComparison.Ordinal) == true).Item1;
        if (withNul is not null)
        {
            var contain = withNul == "tags" ? "contain" : "contains";
            return (null, new IngestRejection("Invalid document", $"The {withNul} {contain} a NUL character (U+0000), which cannot be stored.", Field: withNul));
        }

        if (input.Body.Length > settings.MaxDocumentChars)
        {
            return (null, new IngestRejection("Invalid document", $"The body is longer than {settings.MaxDocumentChars} characters."));
        }

        if (input.Format is { } format && format is not ("markdown" or "plain"))
        {
            return (null, new IngestRejection("Invalid document", "format must be markdown or plain."));
        }

        var title = input.Title.Trim();
        var body = input.Body;
        var source = input.Source?.Trim() ?? "";
        if (settings.Pii == PiiMode.Reject)
        {
            var violation = PiiFilter.FindFirst(title, "title") ?? PiiFilter.FindFirst(body, "body") ?? PiiFilter.FindFirst(source, "source");
            if (violation is not null)
            {
                return (null, new IngestRejection(
                    "The document contains personal data",
                    $"PII rule '{violation.Rule}' matched in the {violation.Field}. Remove it, or ask ops to switch Knowledge:Pii to Mask.",
                    violation.Rule, violation.Field));
            }
        }
        else
        {
            title = PiiFilter.Mask(title);
            body = PiiFilter.Mask(body);
            source = PiiFilter.Mask(source);
        }

        var id = string.IsNullOrWhiteSpace(input.Id) ? DerivedId(title, body) : input.Id.Trim();
        if (id.Length > 200)
        {
            return (null, new IngestRejection("Invalid document", "id must be at most 200 characters."));
        }

        var language = KnowledgeLanguages.Resolve(input.Language, title + " " + body);
        var chunks = DocumentChunker.Chunk(title, body, input.Format != "plain", settings.ChunkChars);
        var tags = (input.Tags ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        return (new PreparedDocument(id, title, source, language, tags, chunks), null);
    }

    // The same title and body always get the same id, so re-sending a document without an id updates it.
    private static string DerivedId(string title, string body) =>
        "kb-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(title + "\n" + body)))[..16];
}

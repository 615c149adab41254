using Atlas.LlmRouter.Apis;
using Atlas.LlmRouter.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapChatCompletionsApi();
app.MapKnowledgeApi();
app.MapAdminApi();

await app.RunAsync();

// Each test here starts a whole AppHost (DCP, servers, services): one at a time on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Procexon.Contracts;

/// <summary>
/// Registry → every service that keeps a subject id: two subjects were found to be one person, and
/// <see cref="DuplicateId"/> no longer exists; whatever pointed at it now belongs to <see cref="MergedInto"/>.
/// Published if and only if the merge committed. Ids only: who merged and why stay in the Registry's history.
/// </summary>
public sealed record SubjectsMerged(Guid MergeId, Guid DuplicateId, Guid MergedInto, DateTimeOffset MergedAt);

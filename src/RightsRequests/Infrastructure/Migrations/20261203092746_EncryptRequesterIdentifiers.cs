using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.RightsRequests.Infrastructure.Migrations
{
    /// <summary>
    /// The requester's identifiers and the held identifiers become AES-GCM ciphertexts (bytea). A migration has no key,
    /// so it cannot encrypt rows already written: it drops their clear values instead of keeping them (the six subject
    /// columns become NULL, held_identifiers an empty value read as "none"). This platform is pre-production: development
    /// databases are recreated (docs/architecture.md, "Identifiers at rest").
    /// </summary>
    public partial class EncryptRequesterIdentifiers : Migration
    {
        private static readonly string[] SubjectColumns =
            ["subject_name", "subject_email", "subject_phone", "subject_hetu", "subject_business_id", "subject_customer_number"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var column in SubjectColumns)
            {
                migrationBuilder.Sql($"ALTER TABLE rights_requests ALTER COLUMN {column} TYPE bytea USING NULL;");
            }

            migrationBuilder.Sql("ALTER TABLE rights_requests ALTER COLUMN held_identifiers TYPE bytea USING ''::bytea;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            (string Column, int Length)[] lengths =
                [("subject_name", 200), ("subject_email", 254), ("subject_phone", 16), ("subject_hetu", 11), ("subject_business_id", 9), ("subject_customer_number", 32)];
            foreach (var (column, length) in lengths)
            {
                migrationBuilder.Sql($"ALTER TABLE rights_requests ALTER COLUMN {column} TYPE character varying({length}) USING NULL;");
            }

            migrationBuilder.Sql("ALTER TABLE rights_requests ALTER COLUMN held_identifiers TYPE jsonb USING '[]'::jsonb;");
        }
    }
}

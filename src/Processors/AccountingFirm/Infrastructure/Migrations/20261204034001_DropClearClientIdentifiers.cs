using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Processors.AccountingFirm.Infrastructure.Migrations
{
    /// <summary>
    /// The disclosed identifiers encrypted at rest, second half: drops the clear columns EncryptClearClientIdentifiers
    /// emptied, and refuses to run while any still holds a value.
    /// </summary>
    public partial class DropClearClientIdentifiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM client_records WHERE email IS NOT NULL OR phone IS NOT NULL OR customer_number IS NOT NULL OR business_id IS NOT NULL) THEN
                        RAISE EXCEPTION 'Identifiers not yet encrypted remain: the accounting firm encrypts them when it starts (EncryptClearClientIdentifiers), before this migration.';
                    END IF;
                END $$;
                """);
            foreach (var column in new[] { "email", "phone", "customer_number", "business_id" })
            {
                migrationBuilder.DropColumn(name: column, table: "client_records");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The shape only: the values were encrypted with a key SQL does not have.
            migrationBuilder.AddColumn<string>(name: "email", table: "client_records", type: "character varying(254)", maxLength: 254, nullable: true);
            migrationBuilder.AddColumn<string>(name: "phone", table: "client_records", type: "character varying(16)", maxLength: 16, nullable: true);
            migrationBuilder.AddColumn<string>(name: "customer_number", table: "client_records", type: "character varying(32)", maxLength: 32, nullable: true);
            migrationBuilder.AddColumn<string>(name: "business_id", table: "client_records", type: "character varying(9)", maxLength: 9, nullable: true);
        }
    }
}

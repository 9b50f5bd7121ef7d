using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.RightsRequests.Infrastructure.Migrations
{
    /// <summary>
    /// A rectification's corrections encrypted at rest, second half: drops the clear column EncryptClearCorrections
    /// emptied, and refuses to run while it still holds a value.
    /// </summary>
    public partial class DropClearCorrections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM rights_requests WHERE corrections IS NOT NULL OR corrections_encrypted IS NULL) THEN
                        RAISE EXCEPTION 'Corrections not yet encrypted remain: the service encrypts them when it starts (EncryptClearCorrections), before this migration.';
                    END IF;
                END $$;
                """);
            migrationBuilder.DropColumn(name: "corrections", table: "rights_requests");
            migrationBuilder.AlterColumn<byte[]>(name: "corrections_encrypted", table: "rights_requests", type: "bytea", nullable: false,
                oldClrType: typeof(byte[]), oldType: "bytea", oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The shape only: the values were encrypted with a key SQL does not have.
            migrationBuilder.AlterColumn<byte[]>(name: "corrections_encrypted", table: "rights_requests", type: "bytea", nullable: true,
                oldClrType: typeof(byte[]), oldType: "bytea");
            migrationBuilder.AddColumn<string>(name: "corrections", table: "rights_requests", type: "jsonb", nullable: true);
        }
    }
}

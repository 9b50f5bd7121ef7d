using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Registry.Infrastructure.Migrations
{
    /// <summary>
    /// Every identifier encrypted at rest, second half: drops the clear columns EncryptClearIdentifiers emptied. It
    /// refuses to run while any still holds a value (a migration applied by hand, without the service's key, would
    /// otherwise lose the subjects' identifiers).
    /// </summary>
    public partial class DropClearIdentifiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM subjects WHERE email IS NOT NULL OR phone IS NOT NULL OR business_id IS NOT NULL
                                   OR customer_number IS NOT NULL OR hetu_encrypted_v1 IS NOT NULL)
                       OR EXISTS (SELECT 1 FROM identifier_key_checks WHERE encryption_key_ciphertext IS NULL) THEN
                        RAISE EXCEPTION 'Identifiers not yet encrypted remain: the Registry encrypts them when it starts (EncryptClearIdentifiers), before this migration.';
                    END IF;
                END $$;
                """);

            foreach (var column in new[] { "email", "phone", "business_id", "customer_number", "hetu_encrypted_v1" })
            {
                migrationBuilder.DropColumn(name: column, table: "subjects");
            }

            migrationBuilder.DropColumn(name: "hetu_key_ciphertext", table: "identifier_key_checks");
            migrationBuilder.AlterColumn<byte[]>(name: "encryption_key_ciphertext", table: "identifier_key_checks", type: "bytea", nullable: false,
                oldClrType: typeof(byte[]), oldType: "bytea", oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The shape only: the values were encrypted with a key SQL does not have.
            migrationBuilder.AlterColumn<byte[]>(name: "encryption_key_ciphertext", table: "identifier_key_checks", type: "bytea", nullable: true,
                oldClrType: typeof(byte[]), oldType: "bytea");
            migrationBuilder.AddColumn<byte[]>(name: "hetu_key_ciphertext", table: "identifier_key_checks", type: "bytea", nullable: true);
            migrationBuilder.AddColumn<string>(name: "email", table: "subjects", type: "character varying(254)", maxLength: 254, nullable: true);
            migrationBuilder.AddColumn<string>(name: "phone", table: "subjects", type: "character varying(16)", maxLength: 16, nullable: true);
            migrationBuilder.AddColumn<string>(name: "business_id", table: "subjects", type: "character varying(9)", maxLength: 9, nullable: true);
            migrationBuilder.AddColumn<string>(name: "customer_number", table: "subjects", type: "character varying(32)", maxLength: 32, nullable: true);
            migrationBuilder.AddColumn<byte[]>(name: "hetu_encrypted_v1", table: "subjects", type: "bytea", nullable: true);
        }
    }
}

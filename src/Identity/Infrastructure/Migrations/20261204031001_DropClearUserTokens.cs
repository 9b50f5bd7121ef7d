using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Identity.Infrastructure.Migrations
{
    /// <summary>
    /// Users' tokens encrypted at rest, second half: drops the clear column EncryptClearUserTokens emptied, and refuses
    /// to run while it still holds a value.
    /// </summary>
    public partial class DropClearUserTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM user_tokens WHERE value IS NOT NULL) THEN
                        RAISE EXCEPTION 'Tokens not yet encrypted remain: the identity provider encrypts them when it starts (EncryptClearUserTokens), before this migration.';
                    END IF;
                END $$;
                """);
            migrationBuilder.DropColumn(name: "value", table: "user_tokens");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            // The shape only: the values were encrypted with a key SQL does not have.
            migrationBuilder.AddColumn<string>(name: "value", table: "user_tokens", type: "text", nullable: true);
    }
}

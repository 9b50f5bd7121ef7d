using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Identity.Infrastructure.Migrations
{
    /// <summary>
    /// Users' tokens encrypted at rest, first half: the encrypted column comes beside the clear one, so that
    /// EncryptClearUserTokens can fill it at start with the service's key; DropClearUserTokens then drops what it emptied.
    /// </summary>
    public partial class EncryptedUserTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<byte[]>(name: "value_encrypted", table: "user_tokens", type: "bytea", nullable: true);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.DropColumn(name: "value_encrypted", table: "user_tokens");
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.RightsRequests.Infrastructure.Migrations
{
    /// <summary>
    /// A rectification's corrections encrypted at rest, first half: the encrypted column comes beside the clear one, so
    /// that EncryptClearCorrections can fill it at start with the service's key; DropClearCorrections drops what it emptied.
    /// </summary>
    public partial class EncryptedCorrections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(name: "corrections_encrypted", table: "rights_requests", type: "bytea", nullable: true);
            migrationBuilder.AlterColumn<string>(name: "corrections", table: "rights_requests", type: "jsonb", nullable: true,
                oldClrType: typeof(string), oldType: "jsonb");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(name: "corrections", table: "rights_requests", type: "jsonb", nullable: false, defaultValue: "[]",
                oldClrType: typeof(string), oldType: "jsonb", oldNullable: true);
            migrationBuilder.DropColumn(name: "corrections_encrypted", table: "rights_requests");
        }
    }
}
